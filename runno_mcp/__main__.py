"""`python -m runno_mcp` and the `runno-mcp` console script: parse the command line, dispatch."""

from runno_mcp.cli import main

__all__ = ["main"]

if __name__ == "__main__":
    main()
