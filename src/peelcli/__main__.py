from peelcli.cli import main

main()
