"""An import-linter contract for which Qt modules a package may load, directly or through others.

import-linter sees an external package only as its root (`PySide6`), so its `forbidden` contract
cannot tell QtGui from QtWidgets. This contract reads the import lines themselves: for every module
a source module reaches (its own imports, function-local ones included, and theirs in turn), each
`PySide6` import is resolved to the Qt modules it names, and any Qt module outside `allowed` breaks
the contract with the chain that leads to it.

    [[tool.importlinter.contracts]]
    type = "qt_modules"                   # registered in contract_types
    source_modules = ["wan27_desktop.imaging"]
    allowed = ["QtCore", "QtGui"]         # empty: no Qt at all
    not_followed = ["wan27_desktop.x"]    # optional: packages not looked into (a contract of their own
                                          # says what they load); what they import is not reached
"""

from __future__ import annotations

import re

from grimp import ImportGraph
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck
from importlinter.domain.helpers import module_expressions_to_modules

_QT_NAME = re.compile(r"\bQt[A-Za-z0-9]+\b")
_ROOT = "PySide6"


def qt_modules_named(line: str) -> set[str]:
    """`from PySide6.QtWidgets import QWidget` -> {"QtWidgets"}; `from PySide6 import QtCore, QtGui`
    -> {"QtCore", "QtGui"}; `import PySide6` -> {"PySide6"} (the whole package: never allowed)."""
    line = line.split("#", 1)[0]
    dotted = re.search(rf"\b{_ROOT}\.(Qt[A-Za-z0-9]+)", line)
    if dotted:
        return {dotted.group(1)}
    if re.search(rf"\bfrom\s+{_ROOT}\s+import\b", line):
        return set(_QT_NAME.findall(line.split("import", 1)[1])) or {_ROOT}
    return {_ROOT}


class QtModulesContract(Contract):
    type_name = "qt_modules"

    source_modules = fields.SetField(subfield=fields.ModuleExpressionField())
    allowed = fields.ListField(subfield=fields.StringField(), required=False)
    not_followed = fields.SetField(subfield=fields.ModuleExpressionField(), required=False)

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        allowed = set(self.allowed or [])  # type: ignore[arg-type]
        sources = {
            name
            for module in module_expressions_to_modules(graph, self.source_modules)  # type: ignore[arg-type]
            for name in {module.name} | graph.find_descendants(module.name)
        }
        offenders: dict[str, list[str]] = {}
        skipped = {
            name
            for module in module_expressions_to_modules(graph, self.not_followed or set())  # type: ignore[arg-type]
            for name in {module.name} | graph.find_descendants(module.name)
        }
        reached = set(sources)
        if not skipped:
            for source in sources:
                reached |= {m for m in graph.find_upstream_modules(source) if m != _ROOT}
        else:
            frontier = list(sources)
            while frontier:
                for imported in graph.find_modules_directly_imported_by(frontier.pop()):
                    if imported not in reached and imported not in skipped and imported != _ROOT:
                        reached.add(imported)
                        frontier.append(imported)
        for module in sorted(reached):
            if not graph.direct_import_exists(importer=module, imported=_ROOT):
                continue
            for detail in graph.get_import_details(importer=module, imported=_ROOT):
                bad = qt_modules_named(detail["line_contents"]) - allowed
                if bad:
                    offenders.setdefault(module, []).append(
                        f"{module}:{detail['line_number']}: {detail['line_contents'].strip()}"
                    )
        violations = []
        for module, lines in offenders.items():
            chain = None
            for source in sorted(sources):
                if source == module:
                    chain = (module,)
                    break
                found = graph.find_shortest_chain(importer=source, imported=module)
                if found and (chain is None or len(found) < len(chain)):
                    chain = found
            violations.append({"chain": " -> ".join(chain or (module,)), "lines": lines})
        return ContractCheck(kept=not violations, metadata={"violations": violations})

    def render_broken_contract(self, check: ContractCheck) -> None:
        from importlinter.application import output

        allowed = ", ".join(self.allowed or []) or "no Qt module"  # type: ignore[arg-type]
        output.print(f"Allowed: {allowed}.")
        for violation in check.metadata["violations"]:
            output.print_error(violation["chain"])
            for line in violation["lines"]:
                output.indent_cursor()
                output.print_error(line, bold=False)
            output.new_line()
