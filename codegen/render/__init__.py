"""Rendering: the IR printed as Python (`models` through datamodel-code-generator, `client` through
Jinja2 templates), with prose fitted to the line length (`text`). Nothing here derives a name or a type."""
