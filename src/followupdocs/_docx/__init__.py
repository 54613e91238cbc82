"""The Word layer: OOXML building blocks, template compile and check, fill, places, packages.

Like python-docx's `docx/oxml/`, these modules know Word's XML and nothing of agreements:
none imports followupdocs' domain modules; what they need from the domain (a sample context,
alt texts) is passed in as plain data or a callable.
"""
