"""Running a query on a remote SPARQL engine (`KG_STORE=http://...`), under our limits: the
HTTP request waits at most the query time limit (then 504), at most `max_rows` rows or
triples are answered (with `X-SPARQL-MaxRows`, as on the embedded store), and the engine's
answer is passed on as bytes when it wrote it in the format the client asked for and it is
within the row limit; otherwise it is read and written again by our serialisers (CSV, which
pyoxigraph cannot read back; a cut answer)."""

from __future__ import annotations

from graph_service import formats
from graph_service.formats import Format
from graph_service.sparql.answers import OFFERED, Answer, Header, Wanted, serialize, spool
from graph_service.sparql.dataset import DEFAULT_DATASET, Dataset
from graph_service.sparql.errors import NotAcceptable, QueryError, QuerySyntaxError
from graph_service.sparql.forms import first_keyword
from graph_service.sparql.results import collect
from graph_service.store.remote.answers import ACCEPT, media_type, parse_answer
from graph_service.store.remote.client import EngineError
from graph_service.store.remote.store import RemoteStore

FORMS = {"SELECT": "solutions", "ASK": "boolean", "CONSTRUCT": "graph", "DESCRIBE": "graph"}
CONCURRENT = 16  # queries sent to the engine at once by one app process
READABLE = {formats.JSON_RESULTS, formats.XML_RESULTS, formats.TSV_RESULTS, *formats.GRAPH_FORMATS}


def form_of(sparql: str) -> str | None:
    token = first_keyword(sparql)
    return FORMS.get(token.value) if token is not None and token.kind == "NAME" else None


class RemoteQueryRunner:
    def __init__(self, store: RemoteStore, timeout: float, max_rows: int):
        self.store = store
        self.timeout = timeout
        self.max_rows = max_rows
        self.capacity = CONCURRENT

    def run(
        self,
        sparql: str,
        *,
        dataset: Dataset = DEFAULT_DATASET,
        base_iri: str | None = None,
        wanted: Wanted,
    ) -> Answer:
        form = form_of(sparql)
        wanted_format = self._wanted(form, wanted) if form else None
        asked = wanted_format if wanted_format in READABLE else None
        text = f"BASE <{base_iri}>\n{sparql}" if base_iri else sparql
        try:
            parameters = self.store.dataset(**dataset.query_arguments())
            reply = self.store.client.query(
                text, asked.media_type if asked else ACCEPT, parameters, timeout=self.timeout
            )
            results = parse_answer(reply, self.store.where)
        except EngineError as error:
            raise as_query_error(error) from None
        collected = collect(results, self.max_rows)
        assert collected is not None
        answered = formats.by_media_type(media_type(reply))
        body = spool()
        if asked is not None and answered == asked and not collected.truncated:
            body.write(reply.body)
            count = 1 if collected.form == "boolean" else len(collected.items)
            header = Header(collected.form, asked.name, False, count)
        else:
            header, data = serialize(collected, wanted)
            body.write(data)
        return Answer(header, body)

    @staticmethod
    def _wanted(form: str, wanted: Wanted) -> Format:
        name = wanted.get(form)
        found = formats.by_name(name, OFFERED[form]) if name else None
        if found is None:
            types = ", ".join(f.media_type for f in OFFERED[form])
            raise NotAcceptable(
                f"the query gives a {form} result, available as {types}; none of them "
                "is acceptable to this request (Accept header or format parameter)"
            )
        return found

    def close(self) -> None:
        """Nothing to release: each query is one HTTP request."""


def as_query_error(error: EngineError) -> QueryError:
    if error.status == 400:
        return QuerySyntaxError(f"malformed query: {error}")
    failure = QueryError(str(error))
    failure.status = error.status
    return failure
