"""The sandbox as agent tools: an MCP server (`runno_mcp.tools.mcp`) and LangChain tools (`runno_mcp.tools.langchain`).

Each lives in its own module so that importing one never imports the other's framework.
"""
