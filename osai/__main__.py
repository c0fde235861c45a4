from osai.cli import main

raise SystemExit(main())
