"""The intermediate representation and how it is built: schemas named (`schemas`), then every model,
field, type and operation decided (`build`) into frozen nodes (`nodes`, `types`) before anything renders."""
