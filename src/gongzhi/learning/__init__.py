"""Party school ("2+X" training: courses, programmes, classes, sessions, certificates) and self-study
(materials published down the tree, study records, quizzes); study and training post points."""
