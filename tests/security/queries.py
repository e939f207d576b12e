"""Documents shared by the security tests."""


def nested_query(depth: int) -> str:
    """A query `depth` levels deep: me { events { edges { node { creator { ...`."""
    levels = ["me"]
    while len(levels) < depth:
        levels += ["events", "edges", "node", "creator"]
    levels = levels[:depth]
    body = "id" if levels[-1] in {"me", "node", "creator"} else "__typename"
    for name in reversed(levels):
        body = f"{name} {{ {body} }}"
    return "{ " + body + " }"
