from synthstudio_cli.main import main

main()
