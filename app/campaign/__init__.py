"""Running a campaign from the browser: its deadline, pause, resume and closing, and the case
updates sent to its supporters (issue 16). The logic lives in app.appeals.lifecycle and
app.delivery.updates; this package holds the forms and the views."""
