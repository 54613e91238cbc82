from followupdocs.cli import main

raise SystemExit(main())
