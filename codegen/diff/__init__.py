"""`codegen diff`: what a spec change does to the users of the generated SDK.

Modules, one job each:
- `wire.py`: two specs → wire-level `Change`s (operations, parameters, bodies, schemas);
- `rules.py`: a change kind → its level and reason (the whole classification policy);
- `report.py`: changes → text, Markdown or JSON.
"""
