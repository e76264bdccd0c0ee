#!/usr/bin/env python3
"""Writes the demo's transcripts (Sources/DemoData/Transcripts) in the formats the real tools write.

Not part of the build: the generated files are committed and shipped with the DemoData target, and
`agentmon demo` imports them through the normal importers. Run it again after editing a story:

    python3 scripts/demo-transcripts/make.py

Output is deterministic (fixed ids, times and a seeded random source), so a re-run only changes what a
story changed.
"""
import n_plus_one
import refresh_endpoint
import webhook_tests

if __name__ == "__main__":
    n_plus_one.write_all()
    refresh_endpoint.write_all()
    webhook_tests.write_all()
