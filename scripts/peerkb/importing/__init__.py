"""Reading references exported by reference managers, publishers and PubMed: text in, entries out.

Nothing here touches files; `peerkb.add` reads the sources and appends what `plan.plan_import`
returns.
"""
