from synthstudio_privacy.server import main

main()
