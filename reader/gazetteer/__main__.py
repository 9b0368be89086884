"""`python -m reader.gazetteer [PATH]`: list validation problems and entry counts."""

from reader.gazetteer.validate import main

raise SystemExit(main())
