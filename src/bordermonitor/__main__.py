from bordermonitor.cli import main

if __name__ == "__main__":  # guarded: the import's reading process imports this module again
    main()
