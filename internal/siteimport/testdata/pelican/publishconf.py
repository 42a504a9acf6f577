from pelicanconf import *

SITEURL = 'https://pelican.example.org'
RELATIVE_URLS = False
