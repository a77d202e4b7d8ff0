-- One database per service: each service owns its data.
CREATE DATABASE gateway;
CREATE DATABASE enquiries;
CREATE DATABASE payments;
CREATE DATABASE surgery;
CREATE DATABASE rehabilitation;
CREATE DATABASE travel;
CREATE DATABASE followup;
CREATE DATABASE journey;
CREATE DATABASE notifications;
