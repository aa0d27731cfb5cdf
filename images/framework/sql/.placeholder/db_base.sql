-- Placeholder used only while images/framework/sql/<version>/db_base.sql is missing. The stand-in ships
-- this file in web/sql/ like the real image but never creates db_base on start.

SET NAMES utf8;

DROP TABLE IF EXISTS `t_station`;
CREATE TABLE `t_station` (
  `f_id` int(11) NOT NULL AUTO_INCREMENT,
  `f_station_id` varchar(64) NOT NULL,
  `f_name_cn` varchar(64) NOT NULL DEFAULT '',
  `f_monitor_url` varchar(255) NOT NULL DEFAULT '',
  `f_valid` int(2) NOT NULL DEFAULT '1',
  `f_update_person` varchar(64) NOT NULL DEFAULT '',
  `f_update_time` timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (`f_id`),
  UNIQUE KEY `f_station_id` (`f_station_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

DROP TABLE IF EXISTS `t_whitelist`;
CREATE TABLE `t_whitelist` (
  `f_id` int(11) NOT NULL AUTO_INCREMENT,
  `f_station_id` varchar(64) NOT NULL,
  `f_ip` varchar(20) NOT NULL,
  `f_valid` int(2) NOT NULL DEFAULT '1',
  `f_update_person` varchar(64) NOT NULL DEFAULT '',
  `f_update_time` timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (`f_id`),
  UNIQUE KEY `station_ip` (`f_station_id`, `f_ip`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;

DROP TABLE IF EXISTS `t_blacklist`;
CREATE TABLE `t_blacklist` (
  `f_id` int(11) NOT NULL AUTO_INCREMENT,
  `f_station_id` varchar(64) NOT NULL DEFAULT '',
  `f_ip` varchar(20) NOT NULL,
  `f_valid` int(2) NOT NULL DEFAULT '1',
  `f_update_person` varchar(64) NOT NULL DEFAULT '',
  `f_update_time` timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (`f_id`),
  UNIQUE KEY `station_ip` (`f_station_id`, `f_ip`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
