#!/usr/bin/env python
# A Pelican site written for the tests of site import.
import os

AUTHOR = 'Ann Writer'
SITENAME = "Pelican Notes"
SITESUBTITLE = 'Notes kept with ' \
    'Pelican'
SITEURL = ''

PATH = 'content'
TIMEZONE = 'Europe/Paris'
DEFAULT_DATE = 'fs'
DEFAULT_LANG = 'fr'

ARTICLE_URL = '{date:%Y}/{date:%m}/{slug}.html'
ARTICLE_SAVE_AS = '{date:%Y}/{date:%m}/{slug}.html'
PAGE_URL = '{slug}/'
PAGE_SAVE_AS = '{slug}/index.html'

STATIC_PATHS = ['images', 'extra/robots.txt', 'extra/favicon.ico']
EXTRA_PATH_METADATA = {
    'extra/robots.txt': {'path': 'robots.txt'},
    'extra/favicon.ico': {'path': 'favicon.ico'},
}

FEED_ALL_ATOM = None
THEME = 'notmyidea'
PLUGINS = ['sitemap', "render_math"]
DEFAULT_PAGINATION = 8
GITHUB_URL = "https://github.com/ann"
TWITTER_USERNAME = 'annw'
SHOW_BIO = True
LINKS = (('Pelican', 'https://getpelican.com/'),
         ('Python', 'https://www.python.org/'),)
OUTPUT = os.path.join(PATH, 'out')
helper = 3

if helper:
    DISPLAY_PAGES_ON_MENU = True
