from synthstudio_synthesis.server import main

main()
