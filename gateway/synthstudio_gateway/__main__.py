from synthstudio_gateway.server import main

main()
