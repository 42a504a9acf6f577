# Validates Atom/RSS feeds with feedparser (Debian's python3-feedparser).
#
# Usage: python3 validate.py FEED...   (or python3 -c "$(cat validate.py)" FEED...)
#
# Prints one JSON object per feed, one per line, in argument order:
#   {"path": ..., "version": ..., "entries": N, "title": ..., "errors": [...]}
# A feed is valid when "errors" is empty. Exits 1 if any feed is invalid,
# 0 otherwise; 2 if feedparser cannot be imported.
import json
import sys

try:
    import feedparser
except ImportError as e:  # pragma: no cover
    print("feedparser not importable: %s" % e, file=sys.stderr)
    sys.exit(2)

try:
    from urllib.parse import urlparse
except ImportError:  # pragma: no cover
    from urlparse import urlparse


def absolute(url):
    u = urlparse(url)
    return u.scheme in ("http", "https") and bool(u.netloc)


def check(path):
    res = {"path": path, "version": "", "entries": 0, "title": "", "errors": []}
    errs = res["errors"]
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        errs.append("cannot read: %s" % e)
        return res
    # Parsing the bytes (not the path) keeps feedparser from treating the
    # argument as a URL or as the document itself.
    d = feedparser.parse(data)
    res["version"] = d.get("version", "") or ""
    res["entries"] = len(d.entries)
    res["title"] = d.feed.get("title", "") or ""
    if d.get("bozo"):
        exc = d.get("bozo_exception")
        errs.append("feedparser: %s: %s" % (type(exc).__name__, exc))
    if not res["version"]:
        errs.append("feedparser did not recognise the feed format")
    if not res["title"]:
        errs.append("feed has no title")
    if not d.entries:
        errs.append("feed has no entries")
    for i, e in enumerate(d.entries):
        name = "entry %d (%s)" % (i + 1, e.get("id") or e.get("title") or "no id")
        if not e.get("title"):
            errs.append("%s has no title" % name)
        link = e.get("link") or ""
        if not link:
            errs.append("%s has no link" % name)
        elif not absolute(link):
            errs.append("%s link %r is not an absolute http(s) URL" % (name, link))
        if not (e.get("published_parsed") or e.get("updated_parsed")):
            errs.append("%s has no parseable published or updated date" % name)
    return res


def main(paths):
    ok = True
    for p in paths:
        res = check(p)
        if res["errors"]:
            ok = False
        print(json.dumps(res))
        sys.stdout.flush()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
