"""`codegen diff`: what a spec change does to the users of the generated SDK.

Modules, one job each (data flows down the list):
- `git.py`: a file or a git revision (`HEAD~1:openapi/openapi.yaml`) → a document;
- `wire.py`: two specs → wire-level `Change`s (operations, parameters, bodies, schemas);
- `rules.py`: a change kind → its level, reason, effect and migration hint (the whole policy);
- `scope.py`: both specs cut down to the operations and schemas that differ;
- `surface.py`: spec → the public Python surface (the only module that reads the IR);
- `types.py`: how two Python annotations relate (wider, narrower, renamed, other);
- `sdk.py`: two surfaces → SDK-level changes;
- `merge.py`: wire + SDK changes → one list, each spelled in Python;
- `ignore.py`: accepted changes (reason, expiry) → kept, ignored, notes;
- `review.py`: all of it → a `Review` with verdict, version bump and generated-code stat;
- `report.py`: a `Review` → text, Markdown (a PR comment) or JSON.
"""
