"""Rehabilitation's use cases, each in one unit of work: the plan following the other stages
(plans), the physiotherapist's sessions (sessions), the prosthesis and completion (completion),
the psychologist (psychologist), erasure, and the progress view (views)."""
