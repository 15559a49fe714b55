"""What the graph knows of the governance record, and what it lacks: per body, the meetings
known against the highest number known and the gaps (`coverage`); the sessions and meetings
by year (`calendar`); the values the curators' source decisions set aside (`decisions`).

Computed from named queries (`graph_service/queries/coverage/*.rq`), once per store state
(`Store.cache`), and shared by `kg coverage` and the pages (/coverage, /calendar, the pages of
bodies and sessions). Results hold IRIs; labels are looked up by the caller, in its language.
"""
