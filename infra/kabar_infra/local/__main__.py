import sys

from kabar_infra.local.stack import main

sys.exit(main())
