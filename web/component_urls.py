"""A component's name as a piece of a URL: `im`, or a scoped package such as `@acme/ui-kit`, whose slash
stays a slash (servers decode `%2F` before routing, so an encoded one would not help)."""

from __future__ import annotations

from werkzeug.routing import BaseConverter

# One path segment, or `@scope/name`: two, the first starting with `@`. A bare `@scope` is never a component,
# so `/releases/@acme/ui-kit` cannot also be read as component `@acme`, version `ui-kit`.
COMPONENT_IN_PATH = r"@[^/]+/[^/]+|[^@/][^/]*"


class ComponentConverter(BaseConverter):
    """`<component:name>` in a route: a component's name, scoped or not."""

    regex = COMPONENT_IN_PATH
    part_isolating = False
