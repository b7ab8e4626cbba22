"""``python -m comprehend_contract``: the same CLI as the ``comprehend-contract`` script."""

from comprehend_contract.cli import main

raise SystemExit(main())
