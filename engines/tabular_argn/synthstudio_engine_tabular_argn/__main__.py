from synthstudio_engine_tabular_argn.server import main

main()
