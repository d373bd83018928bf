"""Drive schemathesis over every operation of an app's own OpenAPI spec and collect what fails."""
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance


def fuzz_every_operation(app, headers: dict | None = None, examples: int = 25,
                         rules_beyond_schema: frozenset[str] = frozenset()) -> dict[str, str]:
    """Run generated cases (all default checks: no 5xx, documented status, content type and body) against every
    operation; return {operation: first failure}, empty when all pass.

    Operations in `rules_beyond_schema` may refuse schema-valid input with 422 (e.g. an order for an item that does
    not exist): for them, only the check that schema-valid input is accepted is left out."""
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    failures = {}
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
                  database=None)
        @given(case=operation.as_strategy())
        def run(case):
            excluded = [positive_data_acceptance] if case.operation.label in rules_beyond_schema else []
            case.call_and_validate(headers=headers or {}, excluded_checks=excluded)

        try:
            run()
        except (Exception, BaseExceptionGroup) as err:  # collect every operation's failure, not just the first
            failures[operation.label] = str(err)[:1500]
    return failures


def report(failures: dict[str, str]) -> str:
    return f"{len(failures)} operations failed: {sorted(failures)}\n\n" + "\n\n".join(
        f"{op}:\n{text}" for op, text in failures.items())
