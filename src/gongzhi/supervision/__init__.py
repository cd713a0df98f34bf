"""The supervision committee (监督委员会): what it checked and found, rectifications followed to closure with
evidence, complaints and reports (anonymous ones included) handled away from those they name, the audit log."""
