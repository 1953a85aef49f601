"""The yardstick for CV reading and the CV-to-job match (issue 15): the labelled set in data/evaluation/, its loading
and validation (``dataset``), pure metric functions (``metrics``), the run of CVPlus's current code over it
(``runner``) and the printed table (``table``). ``manage.py evaluate_matching`` ties them together."""
