"""The YAML data files (directory and appeals): one way to read them, one way to declare what they
may hold, one way to say what is wrong.

- `loader`  reads YAML keeping every value's line, values as text (no YAML 1.1 surprises);
- `fields`  the shared field types (the one slug rule, one-line text, dates, languages, flags);
- `errors`  Problem / DataFileError and pydantic errors as `file:line: field: message`;
- `writer`  the canonical YAML the exports write.

What each file kind holds is declared with these, as pydantic models, next to the area that owns
it: `app/directory/file_schema.py` and `app/appeals/file_schema.py` (so this package imports no
area and no area cycle goes through it).

Statements have no YAML form (they are written in the browser), so there is no schema for them.
"""
