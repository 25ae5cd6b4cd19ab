"""Fail when any first-party module imports itself back through other modules (an import
cycle), anywhere in the repository. Imports inside functions count: a lazy import hides a
cycle from Python, not from a reader.

Uses grimp (import-linter's graph builder); run by `make lint-imports` and `scripts/test.sh`.
"""

from __future__ import annotations

import sys

import grimp

PACKAGES = (
    "ktxh_platform", "ktxh_testing", "ktxh_allinone", "ktxh_gateway",
    "ktxh_catalog", "ktxh_assignment", "ktxh_submission", "ktxh_evaluation",
    "ktxh_oversight", "ktxh_document", "ktxh_reporting", "ktxh_notification",
)


def cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(
                        graph.find_modules_directly_imported_by(child)))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def main() -> int:
    graph = grimp.build_graph(*PACKAGES, include_external_packages=False)
    found = cycles(graph)
    for component in found:
        print("import cycle:", " <-> ".join(component))
        first, *_ = component
        for other in component[1:]:
            chain = graph.find_shortest_chain(importer=first, imported=other)
            back = graph.find_shortest_chain(importer=other, imported=first)
            if chain and back:
                print("   ", " -> ".join(chain), "|", " -> ".join(back))
                break
    if found:
        print(f"{len(found)} import cycle(s)")
        return 1
    print(f"no import cycles in {len(graph.modules)} modules")
    return 0


if __name__ == "__main__":
    sys.exit(main())
