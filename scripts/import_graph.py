"""Print which top-level packages import which (the arrows import-linter guards).

    .venv/bin/python scripts/import_graph.py          # edges between the project's packages
    git stash; ... ; git checkout <commit> -- . ; …  # run on any commit to compare

Each line is `importer -> imported  (n imports)`; `core` must import no app, and apps only `core`.
"""

import sys
from collections import Counter
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["imc_site", "core", "home", "news", "sveden", "methodists", "events", "contests"]
PACKAGES += ["practices_atlas", "safe_internet", "search"]


def edges() -> Counter:
    sys.path.insert(0, str(ROOT))
    present = [name for name in PACKAGES if (ROOT / name / "__init__.py").exists()]
    graph = grimp.build_graph(*present, include_external_packages=False, cache_dir=None)
    counts = Counter()
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            a, b = module.split(".")[0], imported.split(".")[0]
            if a != b:
                counts[(a, b)] += 1
    return counts


if __name__ == "__main__":
    for (a, b), n in sorted(edges().items()):
        print(f"{a:16} -> {b:16} ({n} imports)")
