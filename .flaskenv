# Lets `flask <command>` find the app (flask reads this file via python-dotenv).
FLASK_APP=app.main:create_flask_app
