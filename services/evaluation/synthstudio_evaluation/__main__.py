from synthstudio_evaluation.server import main

main()
