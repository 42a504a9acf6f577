#!/usr/bin/env python3
"""Relevance judgements for scripts/search-compare.sh.

    judge.py CORPUS_CONTENT_DIR PUBLIC_DIR > queries.json

For each of the 20 queries below, the posts that should be found, by a
rule over the corpus's own words (gen_corpus.py writes titles, tags and
bodies from a fixed vocabulary):
  title  every word of `words` is a word of the post's title
  tag    the post has tag `words[0]`
  body   the post's Markdown (text and code) holds `words[0]` as a word
A query's words may be inflected ("certificates") or begun ("certif")
where the judged words are the corpus's ("certificate"): finding those
posts takes stemming or prefix matching. Posts are named by their URL in
PUBLIC_DIR, found by title and date on the built post pages.
"""
import html, json, os, re, sys

QUERIES = [
    ("certificate", "title", ["certificate"]),
    ("certificates", "title", ["certificate"]),
    ("deploying", "title", ["deploy"]),
    ("caching", "title", ["cache"]),
    ("parsers", "title", ["parser"]),
    ("certif", "title", ["certificate"]),
    ("rendered templates", "title", ["render", "template"]),
    ("memory latency", "title", ["memory", "latency"]),
    ("docker container", "title", ["docker", "container"]),
    ("trusted issuers", "title", ["trust", "issuer"]),
    ("benchmark throughput", "title", ["benchmark", "throughput"]),
    ("secrets volumes", "title", ["secret", "volume"]),
    ("watching reloads", "title", ["watch", "reload"]),
    ("ethics", "tag", ["ethics"]),
    ("fiction", "tag", ["fiction"]),
    ("databases", "tag", ["databases"]),
    ("load_config", "body", ["load_config"]),
    ("name_socket", "body", ["name_socket"]),
    ("3580", "body", ["3580"]),
    ("7037", "body", ["7037"]),
]


def front(text):
    _, fm, body = text.split("---\n", 2)
    title = re.search(r'^title: "(.*)"$', fm, re.M).group(1)
    date = re.search(r"^date: (\S+)$", fm, re.M).group(1)
    tags = re.search(r"^tags: \[(.*)\]$", fm, re.M).group(1).split(", ")
    return title, date, tags, body


def urls(public):
    """(title, date) → URL of each built post page."""
    out = {}
    for dirpath, _, files in os.walk(public):
        if "index.html" not in files or not re.search(r"/\d{4}/\d{2}/[^/]+$", dirpath):
            continue
        page = open(os.path.join(dirpath, "index.html"), encoding="utf-8").read()
        title = re.search(r'<h1 class="post-title p-name">(.*?)</h1>', page)
        date = re.search(r'<time class="dt-published" datetime="([^"]+)"', page)
        if title and date:
            out[(html.unescape(title.group(1)), date.group(1).replace("+00:00", "Z"))] = "/" + os.path.relpath(dirpath, public) + "/"
    return out


def main():
    content, public = sys.argv[1], sys.argv[2]
    where = urls(public)
    posts = []
    for name in sorted(os.listdir(content)):
        title, date, tags, body = front(open(os.path.join(content, name), encoding="utf-8").read())
        url = where.get((title, date))
        if url is None:
            sys.exit(f"judge: no built page for {name} ({title!r}, {date})")
        posts.append((url, set(title.lower().split()), tags, set(re.findall(r"\w+", body.lower()))))
    out = []
    for q, kind, words in QUERIES:
        rel = [u for u, title, tags, body in posts
               if (kind == "title" and all(w in title for w in words))
               or (kind == "tag" and words[0] in tags)
               or (kind == "body" and words[0] in body)]
        out.append({"query": q, "rule": f"{kind}: {' '.join(words)}", "relevant": sorted(rel)})
    json.dump(out, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
