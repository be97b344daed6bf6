"""The 审管联动 registers (issue 6): information pushes (第九条), special review procedures
(第十一至十四条), liaison officers (第八条), their deadlines (rule 7) and each agency's dashboard.
Paperwork comes from the document templates and is filed through `documents.issue`."""
