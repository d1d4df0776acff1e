"""The sociale kaart (catalogue of activities and support) as a library: no Rasa, no bot imports.

Entry points (docs/contracts.md, docs/sociale_kaart.md): ``taxonomy.load_taxonomy``,
``db.make_engine`` / ``db.session_scope`` / ``db.migrate``, ``importer.import_paths`` /
``importer.import_records``, ``catalogue.catalogue_info``, the exports, and the
``sociale-kaart`` command line (``cli.main``).
"""
