from costshare.cli import app

app(prog_name="costshare")
