from ipwatch.cli import main

main()
