"""PDF/UA-1 validation of the PDFs clerk makes, with `page` (PyPI `page-validation`, MIT/Apache).

    python3 tests/pdfua/validate.py FILE.pdf [FILE.pdf ...]

Prints one JSON report: for each file whether it is PDF/UA-1 compliant, and the rules it fails.
Exits 0 whatever the verdicts (the test reads them); 2 if `page` is not installed.
"""
import json
import sys

try:
    import page
except ImportError:
    print("page-validation is not installed: pip install page-validation", file=sys.stderr)
    sys.exit(2)

report = {}
for path in sys.argv[1:]:
    try:
        r = page.validate_pdf(path, profile=page.ValidationProfile.PDF_UA_1)
        failures = [str(f) for f in getattr(r, "failures", [])][:20]
        report[path] = {"compliant": r.is_compliant, "failures": failures}
    except page.PageError as e:
        report[path] = {"compliant": False, "failures": [f"unreadable: {e}"]}
print(json.dumps(report, indent=2))
