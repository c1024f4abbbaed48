"""The report site: views picked out of a result, translations, charts and templates."""
