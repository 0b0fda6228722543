from synthstudio_pii.server import main

main()
