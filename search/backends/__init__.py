"""The two search backends behind one interface: `backend.search(query) -> dict` with
`hits`, `total`, `facets` and optionally `suggestion` (see `search.services.search`)."""
