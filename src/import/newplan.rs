//! `planspor new plan`.
