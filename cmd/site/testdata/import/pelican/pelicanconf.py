# A small Pelican blog written for the tests of site import.
AUTHOR = 'Ann Writer'
SITENAME = 'Pelican Notes'
SITEURL = 'https://example.org'
TIMEZONE = 'Europe/Paris'
ARTICLE_URL = '{date:%Y}/{date:%m}/{slug}/'
ARTICLE_SAVE_AS = '{date:%Y}/{date:%m}/{slug}/index.html'
PAGE_URL = '{slug}/'
PAGE_SAVE_AS = '{slug}/index.html'
STATIC_PATHS = ['images']
THEME = 'notmyidea'
