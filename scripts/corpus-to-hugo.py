#!/usr/bin/env python3
"""Turns a planspor site (as `planspor gen-corpus` writes it) into a Hugo site with the
same plans, for scripts/bench-hugo.sh.

    scripts/corpus-to-hugo.py SRC DST

SRC is a planspor site root (planspor.toml, content/); DST is created, or replaced if
an earlier run of this script made it. The plan Markdown is copied as it is, with its
TOML front matter, except where Hugo reads things differently:

- planspor's heading attributes `{indsats=a,b}` and `{indsatser}` are not goldmark
  attribute syntax, so they are stripped; the ids become the page's `indsatsomraader`
  taxonomy terms instead, and its year an `aar` term (and `date`, for sorting);
- `kind` becomes `plan_kind` and a registry entry's `aliases` (other titles) becomes
  `alt_titles`: Hugo reserves `aliases` for redirects;
- the registry entries, content/indsatsomraader/ID.md, become the taxonomy's term
  pages, content/indsatsomraader/ID/_index.md: one page per indsatsområde listing its
  plans, as planspor has;
- district and kommune indexes get a `title` (planspor reads `name`), and the folders
  between them a small _index.md, so every level is a Hugo section.

Line-based on purpose (no TOML library), so any Python 3 runs it.
"""

import os
import re
import shutil
import sys

MARKER = ".corpus-to-hugo"
ATTR = re.compile(r"^(#{1,6} .*?)\s*\{(indsatser|indsats=([^}]*))\}\s*$")


def toml_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def toml_list(xs):
    return "[" + ", ".join(toml_str(x) for x in xs) + "]"


def split_front_matter(text):
    """(front matter lines, body) of a `+++` page."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "+++":
        return [], text
    end = next(i for i in range(1, len(lines)) if lines[i].strip() == "+++")
    return lines[1:end], "\n".join(lines[end + 1 :])


def convert_body(body):
    """The body without planspor's heading attributes, and the ids they bound."""
    ids, out = [], []
    for line in body.split("\n"):
        m = ATTR.match(line)
        if m:
            line = m.group(1)
            for i in (m.group(3) or "").split(","):
                i = i.strip()
                if i and i != "-" and i not in ids:
                    ids.append(i)
        out.append(line)
    return "\n".join(out), ids


def convert_page(text, extra_top=()):
    fm, body = split_front_matter(text)
    body, ids = convert_body(body)
    top, year = list(extra_top), None
    renamed = []
    for line in fm:
        if line.startswith("kind = "):
            line = "plan_kind = " + line[len("kind = ") :]
        elif line.startswith("aliases = "):
            line = "alt_titles = " + line[len("aliases = ") :]
        elif line.startswith("name = ") and not any(l.startswith("title = ") for l in fm):
            top.append("title = " + line[len("name = ") :])
        elif line.startswith("year = "):
            year = line[len("year = ") :].strip()
        renamed.append(line)
    if year:
        top += ["date = %s-01-01" % year, "aar = %s" % toml_list([year])]
    if ids:
        top.append("indsatsomraader = %s" % toml_list(ids))
    # New keys first: top-level keys must come before the first [table].
    return "+++\n" + "\n".join(top + renamed) + "\n+++\n" + body


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def site_config(src):
    title = "Syntetisk landskorpus"
    with open(os.path.join(src, "planspor.toml"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("title = "):
                title = line[len("title = ") :].strip().strip('"')
                break
    return f"""baseURL = "https://example.dk/"
defaultContentLanguage = "da"
title = {toml_str(title)}
# planspor writes neither feeds nor a sitemap for these pages.
disableKinds = ["rss", "sitemap", "robotsTXT"]

[taxonomies]
indsatsomraade = "indsatsomraader"
aar = "aar"

[markup.goldmark.parser.attribute]
title = true
"""


def convert(src, dst):
    content = os.path.join(src, "content")
    out = os.path.join(dst, "content")
    for dirpath, dirnames, filenames in os.walk(content):
        dirnames.sort()
        rel = os.path.relpath(dirpath, content)
        for name in sorted(filenames):
            if not name.endswith(".md"):
                continue
            with open(os.path.join(dirpath, name), encoding="utf-8") as f:
                text = f.read()
            target = os.path.join(out, rel, name)
            if rel == "indsatsomraader" and name != "_index.md":
                target = os.path.join(out, rel, name[: -len(".md")], "_index.md")
            write(os.path.normpath(target), convert_page(text))
    # Every folder on the way to a page is a section, with a title.
    titles = {"kredse": "Politikredse", "kommuner": "Kommuner", "indsatsomraader": "Indsatsområder"}
    for dirpath, _dirs, files in os.walk(out):
        if dirpath != out and "_index.md" not in files:
            name = os.path.basename(dirpath)
            write(os.path.join(dirpath, "_index.md"), "+++\ntitle = %s\n+++\n" % toml_str(titles.get(name, name)))
    write(os.path.join(dst, "hugo.toml"), site_config(src))
    write(os.path.join(dst, MARKER), "written by scripts/corpus-to-hugo.py from %s\n" % src)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    src, dst = sys.argv[1], sys.argv[2]
    if not os.path.isfile(os.path.join(src, "planspor.toml")):
        sys.exit("%s is not a planspor site (no planspor.toml)" % src)
    if os.path.exists(dst):
        if os.listdir(dst) and not os.path.exists(os.path.join(dst, MARKER)):
            sys.exit("%s exists and was not written by this script; refusing to replace it" % dst)
        shutil.rmtree(dst)
    convert(src, dst)
    layouts = os.path.join(os.path.dirname(os.path.abspath(__file__)), "hugo-layouts")
    shutil.copytree(layouts, os.path.join(dst, "layouts"))


if __name__ == "__main__":
    main()
