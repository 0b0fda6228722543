from synthstudio_llm.server import main

main()
