#!/usr/bin/env python3
"""Validates a clerk site's OParl 1.1 view against OParl's own JSON schema (tests/oparl/schema/).

    python3 tests/oparl/validate.py SITE_DIR [--absolute]

Starts at SITE/oparl/system.json and follows every address the objects give, as an OParl client
would: each object is validated against the schema of its type (System, Body, Organization,
Person, Meeting, AgendaItem, Paper, File, Consultation, Location, Membership), and so is every
object embedded in it (OParl names an embedded object's schema with a "schema" key, which
jsonschema does not follow: this script does). Each address must be a URL ("format": "url",
checked here: absolute http(s) with --absolute, else a relative reference), must lead to a file
of the site (or to an object of one, by its fragment), and each object's "id" must be the
address it was reached by. Dates and times are checked as RFC 3339 / ISO 8601.

Prints a JSON report: {"objects": N, "files": N, "types": {...}, "errors": [...]}; exits 1 on
any error.
"""
import json
import os
import sys
import urllib.parse
from datetime import date, datetime

import jsonschema

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMAS = {}
for name in os.listdir(os.path.join(HERE, "schema")):
    if name.endswith(".json"):
        with open(os.path.join(HERE, "schema", name), encoding="utf-8") as f:
            SCHEMAS[name[:-5]] = json.load(f)

site = os.path.abspath(sys.argv[1])
absolute = "--absolute" in sys.argv[2:]
errors = []
types = {}
objects = 0
base = None  # the address of the site's root, learnt from system.json's id with --absolute


def is_url(value):
    if not isinstance(value, str) or not value or any(c.isspace() for c in value):
        return False
    parts = urllib.parse.urlsplit(value)
    if absolute:
        return parts.scheme in ("http", "https") and bool(parts.netloc)
    return not parts.scheme and not parts.netloc and not value.startswith("/")


checker = jsonschema.FormatChecker()
checker.checks("url")(is_url)
checker.checks("date")(lambda v: not isinstance(v, str) or bool(date.fromisoformat(v)))
checker.checks("date-time")(
    lambda v: not isinstance(v, str) or (("T" in v) and datetime.fromisoformat(v).tzinfo is not None)
)


def validate(obj, kind, where):
    """obj against the schema of `kind`, and each embedded object against its own."""
    global objects
    schema = SCHEMAS.get(kind)
    if schema is None:
        errors.append(f"{where}: no schema for {kind}")
        return
    objects += 1
    types[kind] = types.get(kind, 0) + 1
    validator = jsonschema.Draft4Validator(schema, format_checker=checker)
    for e in validator.iter_errors(obj):
        errors.append(f"{where} ({kind}) {'/'.join(map(str, e.path))}: {e.message}")
    expected = f"https://schema.oparl.org/1.1/{kind}"
    if obj.get("type") != expected:
        errors.append(f"{where}: type {obj.get('type')!r}, not {expected}")
    for key, prop in schema["properties"].items():
        if key not in obj:
            continue
        inner = prop.get("schema") or (prop.get("items") or {}).get("schema")
        if not inner or prop.get("references") == "externalList":
            continue
        value = obj[key]
        embedded = value if isinstance(value, list) else [value]
        for i, o in enumerate(embedded):
            if isinstance(o, dict):
                validate(o, inner[:-5], f"{where}/{key}[{i}]")


def resolve(url, in_file):
    """The file of the site an address leads to, and its fragment."""
    if absolute:
        if not url.startswith(base):
            errors.append(f"{in_file}: {url} is not under the site's address {base}")
            return None, ""
        path = url[len(base):]
    else:
        path = urllib.parse.urljoin(in_file, url)
    path, _, fragment = path.partition("#")
    return urllib.parse.unquote(path), fragment


def load(rel):
    full = os.path.join(site, rel)
    if not os.path.abspath(full).startswith(site + os.sep) or not os.path.isfile(full):
        return None
    with open(full, encoding="utf-8") as f:
        return json.load(f)


system = load("oparl/system.json")
if system is None:
    print(json.dumps({"errors": ["no oparl/system.json"]}))
    sys.exit(1)
if absolute:
    sid = system.get("id", "")
    if not sid.endswith("oparl/system.json"):
        errors.append(f"system id {sid!r} is not the address of oparl/system.json")
    base = sid[: -len("oparl/system.json")]
elif system.get("id") != "system.json":
    errors.append(f"system id {system.get('id')!r} is not system.json")

# Every address an object gives (ids, links, lists), by the file it is written in.
seen_files = set()
queue = [("oparl/system.json", "System", None)]
ids = {}


def addresses(obj, in_file, out):
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k in ("type", "oparlVersion"):
                continue
            if isinstance(v, str) and is_url(v) and ("/" in v or "." in v) and k not in ("name", "description", "fileName", "mimeType", "reference", "role", "number", "paperType", "classification"):
                out.append((k, v))
            else:
                addresses(v, in_file, out)
    elif isinstance(obj, list):
        for v in obj:
            addresses(v, in_file, out)


def note_ids(obj, in_file):
    if isinstance(obj, dict):
        if "id" in obj and "type" in obj:
            path, fragment = resolve(obj["id"], in_file)
            if path is not None:
                ids.setdefault((path, fragment), obj)
        for v in obj.values():
            note_ids(v, in_file)
    elif isinstance(obj, list):
        for v in obj:
            note_ids(v, in_file)


files = {}
pending = ["oparl/system.json"]
while pending:
    rel = pending.pop()
    if rel in files:
        continue
    data = load(rel)
    if data is None:
        errors.append(f"{rel}: no such file in the site")
        continue
    files[rel] = data
    if not rel.startswith("oparl/"):
        continue
    note_ids(data, rel)
    found = []
    addresses(data, rel, found)
    for key, url in found:
        path, _ = resolve(url, rel)
        if path is None:
            continue
        if path.startswith("oparl/") and path.endswith(".json"):
            pending.append(path)
        elif not os.path.isfile(os.path.join(site, path)):
            errors.append(f"{rel}: {key} {url} leads to no file of the site ({path})")

# Each file is an object (its id its own address) or a list of objects.
for rel, data in sorted(files.items()):
    if not rel.startswith("oparl/"):
        continue
    if "data" in data and "pagination" in data:
        for i, obj in enumerate(data["data"]):
            validate(obj, obj.get("type", "").rsplit("/", 1)[-1], f"{rel}#data[{i}]")
        continue
    validate(data, data.get("type", "").rsplit("/", 1)[-1], rel)
    path, fragment = resolve(data.get("id", ""), rel)
    if (path, fragment) != (rel, ""):
        errors.append(f"{rel}: its id {data.get('id')!r} is not its own address")

# Every reference to an object leads to one (a file, or an object in it by its fragment).
for rel, data in sorted(files.items()):
    if not rel.startswith("oparl/"):
        continue
    found = []
    addresses(data, rel, found)
    for key, url in found:
        path, fragment = resolve(url, rel)
        if path and fragment and (path, fragment) not in ids:
            errors.append(f"{rel}: {key} {url} names no object")

on_disk = {
    os.path.relpath(os.path.join(d, f), site)
    for d, _, fs in os.walk(os.path.join(site, "oparl"))
    for f in fs
}
for rel in sorted(on_disk - set(files)):
    errors.append(f"{rel}: no object leads to it")

print(json.dumps({"objects": objects, "files": len([f for f in files if f.startswith("oparl/")]), "types": types, "errors": errors[:50]}, indent=2))
sys.exit(1 if errors else 0)
