#!/usr/bin/python3
"""Validates SARIF files against the vendored SARIF 2.1.0 JSON schema (draft 4).

usage: validate.py FILE.sarif...   exit 0 when every file is valid, 1 otherwise
(each error printed with its JSON path), 2 when the validator cannot run.
Uses Debian's python3-jsonschema (scripts/deps.sh installs it)."""
import json
import os
import sys

try:
    import jsonschema
except ImportError:
    print("validate.py: python3-jsonschema is not installed (scripts/deps.sh)", file=sys.stderr)
    sys.exit(2)

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "sarif-2.1.0-rtm.5.json"), encoding="utf-8") as f:
    schema = json.load(f)
validator = jsonschema.Draft4Validator(schema)
bad = 0
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    for e in errors:
        print(f"{path}: /{'/'.join(str(p) for p in e.absolute_path)}: {e.message}")
    bad += bool(errors)
sys.exit(1 if bad else 0)
